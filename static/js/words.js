// The page's texts (workshop/uistrings.py, site.yaml's wording), from its JSON block
// (#ui-words): the scripts write no words of their own, and format in the page's language.

let table = null;

function words() {
  table ??= JSON.parse(globalThis.document?.getElementById("ui-words")?.textContent || "{}");
  return table;
}

/** The page's language (<html lang>), for Intl. */
export function pageLanguage() {
  return globalThis.document?.documentElement.lang || undefined;
}

/** The text `id` as pieces, its {placeholders} replaced by `fields` (strings or DOM nodes); {{ and }} are braces. */
export function pieces(id, fields = {}) {
  return (words()[id] ?? id)
    .split(/(\{\{|\}\}|\{\w+\})/)
    .filter(Boolean)
    .map((piece) => (piece === "{{" || piece === "}}" ? piece[0] : /^\{\w+\}$/.test(piece) ? fields[piece.slice(1, -1)] : piece));
}

/** The text `id`, its {placeholders} filled in. */
export function text(id, fields = {}) {
  return pieces(id, fields).join("");
}

/** The text `id` in its plural form for `count` (`${id}_one` or `${id}_other`, by the page's language). */
export function counted(id, count, fields = {}) {
  const form = new Intl.PluralRules(pageLanguage()).select(count) === "one" ? "one" : "other";
  return text(`${id}_${form}`, fields);
}
