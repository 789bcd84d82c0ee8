// The one way the app builds DOM: createElement + textContent, never HTML strings.

/** h('button', {class, testid, on: {click}, 'aria-x': …, dataset}, ...children) -> Element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'on') {
      for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    } else if (key === 'testid') {
      el.setAttribute('data-testid', value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'style') {
      Object.assign(el.style, value); // CSSOM, allowed under a CSP without 'unsafe-inline'
    } else if (key === 'dataset') {
      for (const [name, v] of Object.entries(value)) if (v !== null && v !== undefined) el.dataset[name] = v;
    } else if (key === 'value' || key === 'disabled' || key === 'selected') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false || child === '') continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}
