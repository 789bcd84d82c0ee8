// Browser glue: clipboard with a fallback, resize-to-content, colour scheme (ZAF or the OS).

/** Copy text; navigator.clipboard first, then a hidden textarea (iframes may lack the permission). */
export function copyText(text) {
  const fallback = () => {
    const focused = document.activeElement; // select() moves focus to the textarea; give it back
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (focused && focused.focus) focused.focus();
    if (!ok) throw new Error('copy refused');
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    return navigator.clipboard.writeText(text).catch(() => fallback());
  }
  return new Promise((resolve) => { fallback(); resolve(); });
}

/** Tells the host our content height after every render and whenever the content resizes. */
export const resizer = {
  send: null,
  last: 0,
  height() {
    return Math.ceil(document.body.getBoundingClientRect().height);
  },
  start(send) {
    this.send = send;
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => {
        const height = this.height();
        if (height !== this.last) this.emit(height);
      }).observe(document.body);
    }
  },
  emit(height) {
    this.last = height;
    if (this.send) Promise.resolve(this.send(height)).catch(() => {});
  },
  now() {
    this.emit(this.height());
  },
};

const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
let fromHost = null;

/** Apply 'dark' / 'light' from the host, or follow the OS when null/unknown. */
export function setScheme(value) {
  fromHost = value === 'dark' || value === 'light' ? value : null;
  const scheme = fromHost || (media && media.matches ? 'dark' : 'light');
  document.documentElement.dataset.colorScheme = scheme;
}

if (media && media.addEventListener) media.addEventListener('change', () => setScheme(fromHost));

/** Follow ZAF's colour scheme where the host offers it (get + colorScheme.changed). */
export function watchScheme(client) {
  const pick = (v) => (typeof v === 'string' ? v : v && (v.colorScheme || v.scheme));
  client.get('colorScheme').then((r) => { if (r && r.colorScheme) setScheme(pick(r.colorScheme)); }, () => {});
  client.on('colorScheme.changed', (v) => setScheme(pick(v)));
}
