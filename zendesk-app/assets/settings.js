// App settings from ZAF metadata, with the manifest's defaults (checkboxes may arrive as strings).

const DEFAULTS = { show_payments: true, mask_pii: false, allow_insert_reply: true, allow_add_tags: true };

function flag(value, fallback) {
  if (value === undefined || value === null || value === '') return fallback;
  return value === true || value === 'true' || value === 1 || value === '1';
}

/** Normalised settings: booleans for the toggles, strings for the rest. */
export function readSettings(raw = {}) {
  const out = { ...raw };
  for (const [key, fallback] of Object.entries(DEFAULTS)) out[key] = flag(raw[key], fallback);
  out.admin_link_template = raw.admin_link_template ? String(raw.admin_link_template) : '';
  return out;
}
