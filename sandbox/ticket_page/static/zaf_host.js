// The ZAF v2 host side of the postMessage protocol, as Zendesk's agent UI speaks it to an app iframe:
// handshake -> zaf.app.registered, get/set/invoke -> {id, result}, events -> zaf.<name>,
// request:<n> -> zaf.request:<n>.done|fail with jQuery-style responseArgs.

const REQUEST_KEY = /^request:\d+$/;

export class ZafHost {
  // iframe: the app's <iframe>; appOrigin: its origin; appGuid: the guid in its URL;
  // registration(): {context, metadata}; api: {get(path), set(path, value), invoke(name, args)}
  // (each returns a value or throws); proxy(options): Promise<{status, statusText, headers, body}>.
  constructor({ iframe, appOrigin, appGuid, registration, api, proxy, log }) {
    Object.assign(this, { iframe, appOrigin, appGuid, registration, api, proxy });
    this.log = log || (() => {});
    this.registered = false;
    this.subscriptions = new Map();
    this.onMessage = this.onMessage.bind(this);
    window.addEventListener('message', this.onMessage);
  }

  destroy() {
    window.removeEventListener('message', this.onMessage);
  }

  post(message) {
    if (this.iframe.contentWindow) this.iframe.contentWindow.postMessage(message, this.appOrigin);
  }

  // Fire a framework event at the app (only once it is registered, like Zendesk).
  trigger(name, message) {
    if (!this.registered) return;
    this.post({ key: `zaf.${name}`, message });
    this.log('event', name);
  }

  isSubscribed(name) {
    return (this.subscriptions.get(name) || 0) > 0;
  }

  onMessage(event) {
    if (event.source !== this.iframe.contentWindow || event.origin !== this.appOrigin) return;
    let data = event.data;
    if (typeof data === 'string') {
      try { data = JSON.parse(data); } catch { return; }
    }
    if (!data || typeof data !== 'object' || data.appGuid !== this.appGuid) return;
    if (data.request && data.id !== undefined) {
      this.answer(data);
      return;
    }
    const key = String(data.key || '');
    if (key === 'iframe.handshake') {
      this.registered = true;
      this.log('handshake', data.message);
      this.post({ key: 'zaf.app.registered', message: this.registration() });
      this.trigger('app.activated', { firstLoad: true });
    } else if (key.startsWith('iframe.on:')) {
      this.subscriptions.set(key.slice('iframe.on:'.length), data.message?.subscriberCount ?? 1);
    } else if (key.startsWith('iframe.off:')) {
      this.subscriptions.set(key.slice('iframe.off:'.length), data.message?.subscriberCount ?? 0);
    } else if (REQUEST_KEY.test(key)) {
      this.request(key, data.message || {});
    }
  }

  // get/set/invoke: every path answered in one result, failures under result.errors[path].
  answer({ id, request, params }) {
    const result = { errors: {} };
    const run = (path, fn) => {
      try {
        const value = fn();
        if (request === 'get') result[path] = value;
      } catch (err) {
        result.errors[path] = { name: err.name || 'Error', message: err.message, path };
      }
    };
    if (request === 'get' && Array.isArray(params)) {
      params.forEach((path) => run(path, () => this.api.get(path)));
    } else if (request === 'set' && params && typeof params === 'object') {
      Object.entries(params).forEach(([path, value]) => run(path, () => this.api.set(path, value)));
    } else if (request === 'invoke' && params && typeof params === 'object') {
      Object.entries(params).forEach(([name, args]) => run(name, () => this.api.invoke(name, args || [])));
    } else {
      this.post({ id, error: { name: 'InvalidRequest', message: `unsupported request ${request}` } });
      return;
    }
    this.log(request, params, result);
    this.post({ id, result });
  }

  async request(key, options) {
    let answer;
    try {
      answer = await this.proxy(options);
    } catch (err) {
      answer = { status: 0, statusText: 'error', headers: {}, body: '' };
    }
    const { status, statusText, headers } = answer;
    const responseText = answer.body || '';
    const isJson = /json/i.test(headers['content-type'] || '');
    let responseJSON;
    let parseFailed = false;
    if (isJson || options.dataType === 'json') {
      try { responseJSON = JSON.parse(responseText); } catch { parseFailed = options.dataType === 'json'; }
    }
    const xhr = { status, statusText, responseText, responseJSON, headers, readyState: 4 };
    const ok = status >= 200 && status < 300 || status === 304;
    this.log('request', options.url, status);
    if (ok && !parseFailed) {
      const data = options.httpCompleteResponse
        ? { status, headers, responseText, responseJSON }
        : (responseJSON !== undefined ? responseJSON : responseText);
      this.post({ key: `zaf.${key}.done`, message: { responseArgs: [data, 'success', xhr] } });
    } else {
      const textStatus = parseFailed ? 'parsererror' : 'error';
      this.post({ key: `zaf.${key}.fail`, message: { responseArgs: [xhr, textStatus, statusText] } });
    }
  }
}
