// The open page follows organizers' edits without a reload: every half minute
// (only while the tab is visible) it revalidates its own URL, which costs a 304
// when nothing changed, and swaps in only the regions whose server HTML changed,
// keeping the reader's scroll position and focus.

const REGIONS = "body > aside, body > header, main > section[id], body > footer";

function regionKey(element) {
  return element.id ? `#${element.id}` : `body > ${element.tagName.toLowerCase()}`;
}

/** The server-rendered HTML of each region of a document, by key. */
export function regionsOf(root) {
  return new Map([...root.querySelectorAll(REGIONS)].map((element) => [regionKey(element), element.outerHTML]));
}

function pathFrom(root, element) {
  const path = [];
  for (let node = element; node && node !== root; node = node.parentElement) {
    path.unshift([...node.parentElement.children].indexOf(node));
  }
  return path;
}

function follow(root, path) {
  return path.reduce((node, index) => node?.children[index] ?? null, root);
}

function firstVisibleRegion() {
  return [...document.querySelectorAll(REGIONS)].find((element) => element.getBoundingClientRect().bottom > 0);
}

/** Replace the regions whose HTML changed; returns the keys replaced. */
export function applyChanges(fresh, known) {
  const incoming = regionsOf(fresh);
  const sameLayout = [...incoming.keys()].join() === [...known.keys()].join();
  const changed = [...incoming.keys()].filter((key) => incoming.get(key) !== known.get(key));
  if (sameLayout && changed.length === 0) {
    return [];
  }
  const active = document.activeElement;
  const activeRegion = active?.closest(REGIONS);
  const focus = activeRegion && { key: regionKey(activeRegion), id: active.id, path: pathFrom(activeRegion, active) };
  const anchor = firstVisibleRegion();
  const anchorKey = anchor && regionKey(anchor);
  const anchorTop = anchor?.getBoundingClientRect().top ?? 0;

  if (sameLayout) {
    for (const key of changed) {
      document.querySelector(key).replaceWith(document.adoptNode(fresh.querySelector(key)));
    }
  } else {
    // Sections came or went (news posted, program published): take the new body whole.
    document.body.replaceWith(document.adoptNode(fresh.body));
  }

  if (anchorKey) {
    const again = document.querySelector(anchorKey);
    if (again) {
      window.scrollBy(0, again.getBoundingClientRect().top - anchorTop);
    }
  }
  if (focus && (!sameLayout || changed.includes(focus.key))) {
    const region = document.querySelector(focus.key);
    const target = (focus.id && document.getElementById(focus.id)) || (region && follow(region, focus.path));
    target?.focus({ preventScroll: true });
  }
  known.clear();
  for (const [key, html] of incoming) {
    known.set(key, html);
  }
  return sameLayout ? changed : [...incoming.keys()];
}

/** Start following the page; `onUpdate(keys)` runs after regions were replaced. */
export function followPage({ onUpdate, interval = 30_000 }) {
  const known = regionsOf(document);
  let timer = null;
  let checking = false;

  async function check() {
    if (checking || document.hidden) {
      return;
    }
    checking = true;
    try {
      // "no-cache": always revalidate with the server (If-None-Match -> 304 when unchanged).
      const response = await fetch(window.location.pathname, { cache: "no-cache", headers: { Accept: "text/html" } });
      if (response.ok) {
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        const changed = applyChanges(fresh, known);
        if (changed.length) {
          onUpdate(changed);
        }
      }
    } catch (error) {
      console.warn("Could not check the page for updates:", error);
    } finally {
      checking = false;
    }
  }

  function start() {
    timer ??= setInterval(check, interval);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      stop();
    } else {
      check();
      start();
    }
  });
  if (!document.hidden) {
    start();
  }
}
