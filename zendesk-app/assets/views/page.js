// Composes the panel for the controller's state; returns the data-state name and the nodes.
import { h } from '../dom.js';
import { joinList, sectionIssues, stateOf, tagsToAdd } from '../view-model.js';
import { matchCard } from './match.js';
import { banner, confirmation } from './parts.js';
import { references } from './sections.js';
import { errorState, loading, manualForm, notConfigured, notFound, requesterUnsaved, unauthorized } from './states.js';

function toolbar(ui, data) {
  const { t } = ui;
  const tags = tagsToAdd(data.suggested_tags, ui.ticketTags);
  const confirming = ui.confirming === 'tags' && tags.length > 0;
  // Tags of a learner found by a manual search would route this ticket by someone else's account.
  const add = () => { if (tags.length) (ui.manual ? ui.act.confirm('tags') : ui.act.addTags(tags)); };
  const addTags = ui.settings.allow_add_tags && (data.suggested_tags || []).length && !confirming
    ? h('button', {
      // aria-disabled, not disabled: the button keeps keyboard focus once its tags are added.
      type: 'button', class: 'btn', testid: 'lc-action-tags', 'data-key': 'tags', 'aria-disabled': tags.length ? null : 'true',
      // Its title is the tags as Zendesk writes them (space-separated); text that reads them lists them.
      title: (data.suggested_tags || []).join(' '), on: { click: add },
    }, tags.length ? t.plural('action.add_tags', tags.length) : t('action.tags_on_ticket'))
    : null;
  return h('div', { class: 'actions toolbar' }, confirming ? confirmation(ui, {
    key: 'tags', message: t('confirm.manual_tags', { tags: joinList(tags, t) }), confirmLabel: t('confirm.tags'),
    onConfirm: () => ui.act.addTags(tags),
  }) : null, addTags,
    h('button', { type: 'button', class: 'btn', testid: 'lc-action-refresh', 'data-key': 'refresh',
      on: { click: () => ui.act.refresh() } }, t('action.refresh')));
}

function manualBadge(ui) {
  return h('div', { class: 'banner info', testid: 'lc-manual-badge' },
    h('span', {}, ui.t('manual.badge', { value: ui.manual.value })),
    h('button', { type: 'button', class: 'btn small', testid: 'lc-manual-back', 'data-key': 'manual-back',
      on: { click: () => ui.act.back() } }, ui.t('manual.back')));
}

/** {state, nodes, spoken} of an answer; spoken names a learner system that failed so nobody is shown:
 * that is not "loaded". */
function ready(ui, data) {
  const issues = sectionIssues(data.sections);
  const learnerIssues = issues.filter((i) => i.section === 'learner');
  const nodes = [ui.manual ? manualBadge(ui) : null, learnerIssues.map((i) => banner(ui, i))];
  let spoken;
  if (data.matches.length) {
    if (data.matches.length > 1) nodes.push(h('p', { class: 'small muted' }, ui.t.plural('match.several', data.matches.length)));
    nodes.push(h('div', { testid: 'lc-matched', class: 'matches' }, data.matches.map((m) => matchCard(ui, m, issues))));
  } else if (learnerIssues.length) {
    spoken = 'learner-failed';
    // Said on screen too, not only to a screen reader: why nobody is shown, and what to do.
    nodes.push(h('div', { class: 'card', testid: 'lc-learner-down' },
      h('p', {}, ui.t('announce.learner-failed')), manualForm(ui, ui.suggestions)));
  } else {
    nodes.push(notFound(ui, ui.suggestions));
  }
  nodes.push(references(ui, data.detected_references, data.matches, data.sections), toolbar(ui, data));
  return { state: stateOf(data), nodes, spoken };
}

/** {state, nodes, spoken?} for the controller's view state (spoken: what to announce, when not the state). */
export function page(ui, view) {
  switch (view.phase) {
    case 'not-configured': return { state: view.phase, nodes: [notConfigured(ui, view.problems)] };
    case 'unauthorized': return { state: view.phase, nodes: [unauthorized(ui, view.error)] };
    case 'error': return { state: view.phase, nodes: [ui.manual ? manualBadge(ui) : null, errorState(ui, view.error)] };
    case 'requester-unsaved': return { state: view.phase, nodes: [requesterUnsaved(ui)] };
    case 'ready': return ready(ui, view.data);
    default: return { state: 'loading', nodes: [loading(ui)] };
  }
}
