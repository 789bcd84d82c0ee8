// Action results ("Copied", "Tags added", failures) where the agent is looking. Zendesk sizes our
// iframe to its content, so a fixed toast sits at the iframe's bottom: over the last buttons, or far
// below the fold of a scrolled sidebar. The message goes in flow beside the control that was used.
import { h } from './dom.js';

const SHOW_MS = { ok: 5000, error: 8000 }; // a failure says what to do next: leave longer to read it

/** Replace a live region's text (emptied first, so the same message twice is spoken twice). */
export function say(region, text) {
  region.textContent = '';
  region.textContent = text;
}

/**
 * feedback({root, polite, assertive, resized}) -> {show, place, clear}; resized() sends the content
 * height to the host. The live regions stay in the page from the start (a region created with its
 * text is often not spoken); the visible copy is drawn again after every render, since a render
 * replaces the nodes around it.
 */
export function feedback({ root, polite, assertive, resized }) {
  let current = null; // {text, tone, near}: near is the data-key of the control that was used
  let node = null;
  let timer;

  function place() {
    if (node) node.remove();
    node = null;
    if (!current) return;
    const focused = document.activeElement;
    const anchor = focused && root.contains(focused) && focused.getAttribute('data-key') === current.near
      ? focused : root.querySelector(`[data-key="${CSS.escape(current.near)}"]`);
    if (!anchor) return; // the control is gone (a new answer): the live region has spoken
    node = h('span', { class: `feedback ${current.tone}`, testid: 'lc-feedback', dataset: { tone: current.tone } },
      current.text);
    // In a row of buttons it joins the row (beside them when it fits). A heading row (id, copy, pill)
    // would squeeze its title to make room: the line under it instead. Else right after the control,
    // outside the span gluing a copy icon to its title's last word (that span never wraps).
    const row = anchor.closest('.actions');
    const head = anchor.closest('.row-head');
    if (row) row.append(node);
    else if (head) head.after(node);
    else (anchor.closest('.nowrap') || anchor).after(node);
  }

  // A message under a control at the bottom edge of the sidebar is below the fold: scroll Zendesk's
  // sidebar just enough (nothing moves when it is on screen already). Only once the host has grown
  // the iframe around it, a frame or two after our resize: before, it would scroll our own document.
  function reveal(el, frames = 30) {
    requestAnimationFrame(() => {
      if (el !== node) return; // cleared or drawn again meanwhile
      if (el.getBoundingClientRect().bottom <= innerHeight) el.scrollIntoView({ block: 'nearest' });
      else if (frames > 0) reveal(el, frames - 1);
    });
  }

  function clear() {
    clearTimeout(timer);
    current = null;
    place();
    resized();
  }

  /** Show text beside the control keyed `near`; `spoken` (default: text) goes to the live region. */
  function show(text, { near, tone = 'ok', spoken = text }) {
    current = { text, tone, near };
    say(tone === 'error' ? assertive : polite, spoken);
    place();
    resized();
    if (node) reveal(node);
    clearTimeout(timer);
    timer = setTimeout(clear, SHOW_MS[tone]);
  }

  return { show, place, clear };
}
