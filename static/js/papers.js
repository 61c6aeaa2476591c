// Filter the accepted papers as the visitor types: by title, author or track (shown, or in the
// item's data-track), and the heading of the group a paper is listed in. Without JavaScript
// every paper is listed and the field stays hidden.
import { text } from "./words.js";

/** Text compared with what is typed: NFC, lower case, spaces collapsed. */
export function searchable(text) {
  return text.normalize("NFC").toLocaleLowerCase().replace(/\s+/g, " ").trim();
}

/** Whether every word typed occurs in `text` (already searchable). */
export function matches(text, query) {
  return searchable(query)
    .split(" ")
    .every((word) => text.includes(word));
}

export function countText(shown, total) {
  return text(shown === total ? "papers_all_shown" : "papers_some_shown", { shown, total });
}

/** Show the field and filter the list of `root` (a [data-paper-filter]); once per element. */
export function enhancePaperFilter(root) {
  if (root.dataset.enhanced) {
    return;
  }
  root.dataset.enhanced = "true";
  const field = root.querySelector(".paper-filter");
  const input = field.querySelector("input");
  const count = field.querySelector(".paper-filter-count");
  const groups = [...root.querySelectorAll(".paper-group")].map((group) => {
    const heading = group.querySelector("h4")?.textContent ?? "";
    const items = [...group.querySelectorAll(".papers > li")].map((item) => ({
      item,
      text: searchable(`${item.textContent} ${item.dataset.track ?? ""} ${heading}`),
    }));
    return { group, items };
  });
  const total = groups.reduce((sum, { items }) => sum + items.length, 0);
  let announced = null;

  function apply() {
    const query = input.value;
    let shown = 0;
    for (const { group, items } of groups) {
      let shownHere = 0;
      for (const { item, text } of items) {
        const visible = matches(text, query);
        if (item.hidden === visible) {
          item.hidden = !visible;
        }
        shownHere += visible ? 1 : 0;
      }
      group.hidden = shownHere === 0;
      shown += shownHere;
    }
    const message = countText(shown, total);
    // Announced only when it changes: a screen reader is not interrupted by the same sentence.
    if (message !== announced) {
      count.textContent = message;
      announced = message;
    }
  }

  input.addEventListener("input", apply);
  field.hidden = false;
  if (input.value) {
    apply(); // a value the browser restored (back button): the list follows it
  }
}
