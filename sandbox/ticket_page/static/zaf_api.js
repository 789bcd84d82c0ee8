// What the ZAF host answers for get/set/invoke, over the page's ticket state (plain data, no DOM).
// Error messages leave out the path: the SDK prefixes it ('"a.b" is not available…').

export class ApiError extends Error {
  constructor(name, message) { super(message); this.name = name; }
}

function lookup(root, path) {
  let value = root;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !(part in value)) {
      throw new ApiError('APIUnavailable', 'is not available in this location');
    }
    value = value[part];
  }
  return value;
}

function pixels(value) {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$/.exec(String(value ?? ''));
  if (!match) throw new ApiError('InvalidArgument', `height "${value}" is not a pixel size`);
  return Number(match[1]);
}

// state: {ticket, requester, agent, colorScheme, subdomain}; ui: callbacks that change the page.
export function makeApi(state, ui) {
  const snapshot = () => ({
    ticket: { ...state.ticket, requester: state.requester, tags: [...state.tags] },
    currentUser: state.agent,
    currentAccount: { subdomain: state.subdomain },
    comment: { text: ui.replyText(), type: 'publicReply' },
    colorScheme: state.colorScheme,
  });
  return {
    get(path) {
      return lookup(snapshot(), path);
    },
    set(path, value) {
      if (path === 'comment.text') ui.setReply(String(value ?? ''));
      else if (path === 'ticket.subject') ui.setSubject(String(value ?? ''));
      else if (path === 'ticket.tags') ui.setTags(Array.isArray(value) ? value.map(String) : []);
      else throw new ApiError('APIUnavailable', 'cannot be set in this location');
    },
    invoke(name, args) {
      const flat = args.flat().filter((a) => a !== undefined && a !== null);
      switch (name) {
        case 'resize': {
          const size = flat[0] || {};
          ui.resize(pixels(size.height));
          return;
        }
        case 'comment.appendText':
          ui.setReply(ui.replyText() + flat.map(String).join(''));
          return;
        case 'ticket.tags.add':
          ui.setTags([...new Set([...state.tags, ...flat.map(String)])]);
          return;
        case 'ticket.tags.remove':
          ui.setTags(state.tags.filter((t) => !flat.map(String).includes(t)));
          return;
        case 'notify':
          ui.notify(String(flat[0] ?? ''));
          return;
        default:
          throw new ApiError('APIUnavailable', 'cannot be invoked in this location');
      }
    },
  };
}
