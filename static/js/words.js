// The page's texts (workshop/uistrings.py, in #ui-words): the scripts have no words of their own.
let table = null;

export const pageLanguage = () => globalThis.document?.documentElement.lang || undefined;

/** The text `id` in pieces, its {placeholders} replaced by `fields` (strings or nodes); {{ and }} are braces. */
export function pieces(id, fields = {}) {
  table ??= JSON.parse(globalThis.document?.getElementById("ui-words")?.textContent || "{}");
  return (table[id] ?? id)
    .split(/(\{\{|\}\}|\{\w+\})/)
    .filter(Boolean)
    .map((piece) => {
      if (piece === "{{" || piece === "}}") {
        return piece[0];
      }
      return piece[0] === "{" ? fields[piece.slice(1, -1)] : piece;
    });
}

export const text = (id, fields) => pieces(id, fields).join("");
