// Editing the ticket as Zendesk's agent workspace does: the requester field takes another existing user
// at once (reported over ZAF, not saved), and Submit saves it through the Zendesk API.

// page: {state, host, fetchJson, render, showError, notify} from page.js.
export function ticketEdits({ state, host, fetchJson, render, showError, notify }) {
  // Another existing user, by email: shown (and reported over ZAF) at once, saved only on submit.
  async function changeRequester(typed) {
    const email = String(typed || '').trim();
    if (!email || email.toLowerCase() === String(state.requester.email || '').toLowerCase()) return;
    let found;
    try {
      found = (await fetchJson(`/_page/users?email=${encodeURIComponent(email)}`)).requester;
    } catch (err) {
      showError(`Requester ${email}: ${err.message}`);
      return;
    }
    showError('');
    const before = state.requester;
    state.requester = found;
    render();
    if (before.id !== found.id) host.trigger('ticket.requester.id.changed', found.id);
    if (before.email !== found.email) host.trigger('ticket.requester.email.changed', found.email);
  }

  // Save what changed through the Zendesk API, then tell the app as Zendesk does (ticket.submit.start,
  // then .done or .fail, then .always). The reply itself is never sent.
  async function submit() {
    host.trigger('ticket.submit.start');
    try {
      if (state.requester.id !== state.saved.id) {
        const data = await fetchJson(`/_page/tickets/${encodeURIComponent(state.ticket.id)}`, {
          method: 'PUT', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ requester_id: state.requester.id }),
        });
        state.ticket = { ...state.ticket, updated_at: data.ticket.updated_at };
        state.requester = data.requester;
        state.saved = data.requester;
        render();
      }
    } catch (err) {
      showError(`Ticket ${state.ticket.id} was not saved: ${err.message}`);
      host.trigger('ticket.submit.fail');
      host.trigger('ticket.submit.always');
      return;
    }
    showError('');
    notify('Saved. The reply is not sent: this is a local sandbox.');
    host.trigger('ticket.submit.done');
    host.trigger('ticket.submit.always');
  }

  return { changeRequester, submit };
}
