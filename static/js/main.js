// Entry point: local times, the phase, schedule switch, the papers' filter and live updates.
// Everything here enhances a page that is complete without JavaScript.
import { enhanceDates } from "./dates.js";
import { followPage } from "./live.js";
import { enhancePaperFilter } from "./papers.js";
import { showPhase } from "./phase.js";
import { enhanceSchedule, markNowAndNext } from "./schedule.js";
import { visitorTimeZone } from "./time.js";
import { text } from "./words.js";

const TICK = 15_000;

async function fetchDates(url) {
  const response = await fetch(url, { cache: "no-cache", headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return (await response.json()).data;
}

function main() {
  const timeZone = visitorTimeZone();
  let dates = null;

  /** Everything that needs no network, with the dates last fetched. */
  function enhanceNow() {
    const now = Date.now();
    for (const name of document.querySelectorAll(".local-zone-name")) {
      name.textContent = text(name.dataset.format ?? "zone_in_parentheses", { zone: timeZone });
    }
    const program = document.getElementById("program");
    if (program) {
      enhanceSchedule(program, { now, timeZone });
    }
    const papers = document.querySelector("[data-paper-filter]");
    if (papers) {
      enhancePaperFilter(papers);
    }
    const datesSection = document.querySelector("[data-dates-url]");
    if (datesSection && dates) {
      enhanceDates(datesSection, dates, { now, timeZone });
    }
    tick();
  }

  /** Fetch the dates (a 304 when unchanged) and apply them. */
  async function refreshDates() {
    const datesSection = document.querySelector("[data-dates-url]");
    if (datesSection) {
      dates = await fetchDates(datesSection.dataset.datesUrl);
      enhanceNow();
    }
  }

  let boundary = null;

  // Again at the phase's next change, not at the next tick.
  function tick() {
    const now = Date.now();
    const program = document.getElementById("program");
    if (program) {
      markNowAndNext(program, now);
    }
    clearTimeout(boundary);
    const next = showPhase(document, { now, timeZone });
    if (next && next - now < 2 ** 31) {
      boundary = setTimeout(tick, next - now);
    }
  }

  const report = (error) => console.warn("Could not show local times:", error);
  followPage({
    onUpdate: () => {
      enhanceNow();
      const status = document.getElementById("live-status");
      if (status) {
        status.textContent = text("page_updated");
      }
      return refreshDates().catch(report);
    },
  });
  enhanceNow();
  refreshDates().catch(report);
  setInterval(tick, TICK);
}

main();
