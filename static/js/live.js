// The open page follows organizers' edits without a reload: every half minute
// (only while the tab is visible) it revalidates its own URL, which costs a 304
// when nothing changed. When the content version in the fetched page differs,
// it swaps in the regions whose HTML changed (all of them the first time, as the
// page keeps no copy of its own server HTML), keeping scroll position and focus.

const REGIONS = "body > aside, body > header, main > section[id], body > footer";

function regionKey(element) {
  return element.id ? `#${element.id}` : `body > ${element.tagName.toLowerCase()}`;
}

const regions = (root) => [...root.querySelectorAll(REGIONS)];

/** The server-rendered HTML of each region of a document, by key. */
export function regionsOf(root) {
  return new Map(regions(root).map((element) => [regionKey(element), element.outerHTML]));
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
  return regions(document).find((element) => element.getBoundingClientRect().bottom > 0);
}

/** The content version a page was rendered from. */
export function contentVersion(root) {
  return root.querySelector("main[data-content-version]")?.dataset.contentVersion ?? "";
}

/**
 * Remember where the reader is (the first region in view and its offset);
 * `restore()` scrolls so that region is back at the same offset.
 */
export function keepScroll() {
  const anchor = firstVisibleRegion();
  const key = anchor && regionKey(anchor);
  const top = anchor?.getBoundingClientRect().top ?? 0;
  return {
    restore() {
      const again = key && document.querySelector(key);
      if (again) {
        // "instant": the page's smooth scrolling would still be moving when measured.
        window.scrollBy({ top: again.getBoundingClientRect().top - top, behavior: "instant" });
      }
    },
  };
}

/** Replace the regions whose HTML changed (every region when `known` is empty); returns the keys replaced. */
export function applyChanges(fresh, known) {
  const incoming = regionsOf(fresh);
  const sameLayout = [...incoming.keys()].join() === regions(document).map(regionKey).join();
  const changed = [...incoming.keys()].filter((key) => incoming.get(key) !== known.get(key));
  if (sameLayout && changed.length === 0) {
    return [];
  }
  const active = document.activeElement;
  const activeRegion = active?.closest(REGIONS);
  const focus = activeRegion && { key: regionKey(activeRegion), id: active.id, path: pathFrom(activeRegion, active) };
  if (sameLayout) {
    for (const key of changed) {
      document.querySelector(key).replaceWith(document.adoptNode(fresh.querySelector(key)));
    }
  } else {
    // Sections came or went (news posted, program published): take the new body whole.
    document.body.replaceWith(document.adoptNode(fresh.body));
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

/**
 * Start following the page. `onUpdate(keys)` runs after regions were replaced: it
 * re-applies the enhancements at once and may return a promise for later work;
 * the reader's scroll position is restored after each step.
 */
export function followPage({ onUpdate, interval = 30_000 }) {
  // Server HTML of each region, from the last fetched version (none until a first change).
  const known = new Map();
  let version = contentVersion(document);
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
        if (contentVersion(fresh) !== version) {
          version = contentVersion(fresh);
          const scroll = keepScroll();
          const changed = applyChanges(fresh, known);
          if (changed.length) {
            const later = onUpdate(changed);
            scroll.restore();
            await later;
          }
          scroll.restore();
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
