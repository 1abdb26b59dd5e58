// The services that are part of the portal itself: A2C keys, results and item level data per
// series, grade boundaries, and past papers and marking schemes. Each opens from its tile on
// All Services (/open?service=...). Download links are asked for on click, not on page load:
// the URLs live for minutes only, and every download of a centre's file is audited.
import { api, ApiError, type CentreFile, type CentreSeries, type Resource } from "../api";
import { add, button, field, h, inset, link, para, table, tag, values, warning } from "../dom";
import { onSubmit } from "../forms";
import { errorText, t, type Key } from "../i18n";
import { go } from "../router";

const LONDON = "Europe/London";

/** "Thursday 13 August 2026 at 08:00 (UK time)", in the page's language, in UK time. */
export function ukTime(iso: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: LONDON,
    weekday: "long",
    day: "numeric",
    month: "numeric",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const part = (type: string): string => parts.find((item) => item.type === type)?.value ?? "";
  // Weekday names come from Intl in English only, so the day of the week is worked out from
  // the London calendar date (noon UTC of that date is the same calendar day everywhere).
  const year = Number(part("year"));
  const month = Number(part("month"));
  const day = Number(part("day"));
  const weekday = new Date(Date.UTC(year, month - 1, day, 12)).getUTCDay();
  return t("date.at", {
    weekday: t("date.weekdays").split(",")[weekday] ?? "",
    day,
    month: t("date.months").split(",")[month - 1] ?? "",
    year,
    time: `${part("hour")}:${part("minute")}`,
  });
}

/** "13 August 2026" for a calendar date (YYYY-MM-DD), in the page's language. */
export function longDate(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  return `${day} ${t("date.months").split(",")[(month ?? 1) - 1] ?? ""} ${year}`;
}

const failure = (error: unknown): string =>
  error instanceof ApiError ? errorText(error) : t("error.internal");

/** Starts the browser's download of a short-lived URL without leaving the page. */
function save(url: string): void {
  const anchor = h("a", { href: url, download: "", hidden: true });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

/** A status line under a table, announced to screen readers when it changes. */
const status = (): HTMLElement =>
  h("p", { class: "govuk-body", role: "status", "aria-live": "polite" });

// --- A2C keys -----------------------------------------------------------------------------

export function renderA2cKeys(main: HTMLElement, centreId: string): void {
  const area = h("div", {});
  const reveal = h("form", { method: "post" }, button(t("a2c.show"))) as HTMLFormElement;
  onSubmit(reveal, async () => {
    const { keys } = await api.a2cKeys(centreId);
    reveal.remove();
    if (!keys.length) {
      area.replaceChildren(para(t("a2c.none")));
      return;
    }
    const said = status();
    const rows = keys.map((key) => [
      key.label,
      key.key_id,
      h("code", { class: "portal-secret", "data-key-id": key.key_id }, key.key),
      h(
        "button",
        {
          type: "button",
          class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-0",
          "aria-label": t("a2c.copy_named", { label: key.label }),
          onclick: () => {
            navigator.clipboard
              .writeText(key.key)
              .then(() => (said.textContent = t("a2c.copied", { label: key.label })))
              .catch(() => (said.textContent = t("a2c.copy_failed")));
          },
        },
        t("a2c.copy"),
      ),
    ]);
    const shown = table(
      t("a2c.caption"),
      [t("a2c.label"), t("a2c.key_id"), t("a2c.key"), t("a2c.action")],
      rows,
    );
    // The button that had the focus is gone: move it to the keys, not back to the page top.
    shown.setAttribute("tabindex", "-1");
    area.replaceChildren(shown, said);
    shown.focus();
  });
  add(main, para(t("a2c.intro")), warning(t("a2c.secret"), t("common.warning")), reveal, area);
}

// --- Results and item level data ----------------------------------------------------------

const FILES: Record<CentreFile, { has: (s: CentreSeries) => boolean; action: Key; none: Key }> = {
  results: { has: (s) => s.has_file, action: "results.download", none: "results.no_file" },
  item_level_data: {
    has: (s) => s.has_item_level_data,
    action: "ild.download",
    none: "ild.no_file",
  },
};

export async function renderCentreFiles(
  main: HTMLElement,
  centreId: string,
  file: CentreFile,
): Promise<void> {
  add(main, para(t(file === "results" ? "results.intro" : "ild.intro")));
  let series: CentreSeries[];
  try {
    series = (await api.results(centreId)).series;
  } catch (error) {
    add(main, para(failure(error)));
    return;
  }
  if (!series.length) {
    add(main, inset(t("results.no_series")));
    return;
  }
  const said = status();
  const now = Date.now();
  const rows = series.map((each) => {
    const released = Date.parse(each.available_from) <= now;
    const state = released
      ? tag(t("results.released"), "green")
      : tag(t("results.embargoed"), "yellow");
    let action: HTMLElement;
    if (!released) {
      const when = ukTime(each.available_from);
      action = h("span", { class: "govuk-body-s" }, t("results.available_from", { when }));
    } else if (!FILES[file].has(each)) {
      action = h("span", { class: "govuk-body-s" }, t(FILES[file].none));
    } else {
      action = h(
        "button",
        {
          type: "button",
          class: "govuk-button govuk-!-margin-bottom-0",
          onclick: () => {
            said.textContent = "";
            api
              .download(centreId, each.series_id, file)
              .then((reply) => {
                save(reply.download_url);
                said.textContent = t("results.started");
              })
              .catch((error: unknown) => {
                said.textContent =
                  error instanceof ApiError && error.code === "embargoed" && error.availableFrom
                    ? t("results.available_from", { when: ukTime(error.availableFrom) })
                    : failure(error);
              });
          },
        },
        t(FILES[file].action),
        h("span", { class: "govuk-visually-hidden" }, ` ${each.name}`),
      );
    }
    return [each.name, longDate(each.results_day), state, action];
  });
  add(
    main,
    table(
      t(file === "results" ? "results.caption" : "ild.caption"),
      [t("results.series"), t("results.day"), t("results.state"), t("results.action")],
      rows,
    ),
    said,
  );
}

// --- Grade boundaries, past papers and marking schemes ------------------------------------

const KINDS: Record<string, Key> = {
  past_paper: "board.kind.past_paper",
  marking_scheme: "board.kind.marking_scheme",
  exemplar: "board.kind.exemplar",
  grade_boundaries: "board.kind.grade_boundaries",
};

function resourceTable(caption: string, resources: Resource[]): HTMLElement {
  const rows = resources.map((item) => [
    item.download_url
      ? link(item.title, item.download_url, { download: "", rel: "noopener" })
      : item.title,
    item.subject,
    KINDS[item.kind] ? t(KINDS[item.kind] as Key) : item.kind,
    item.series_id,
    item.language === "cy" ? "Cymraeg" : "English",
  ]);
  return table(
    caption,
    [
      t("resources.title_col"),
      t("board.subject"),
      t("board.kind"),
      t("board.series_id"),
      t("resources.language"),
    ],
    rows,
  );
}

export async function renderGradeBoundaries(main: HTMLElement): Promise<void> {
  add(main, para(t("boundaries.intro")));
  try {
    const { resources } = await api.resources({ kind: "grade_boundaries" });
    add(
      main,
      resources.length
        ? resourceTable(t("boundaries.caption"), resources)
        : inset(t("boundaries.none")),
    );
  } catch (error) {
    add(main, para(failure(error)));
  }
}

// Grade boundaries are left out: they have their own tile under Reports.
const FILTER_KINDS: [string, Key][] = [
  ["", "resources.all_kinds"],
  ["past_paper", "board.kind.past_paper"],
  ["marking_scheme", "board.kind.marking_scheme"],
  ["exemplar", "board.kind.exemplar"],
];

export async function renderResources(main: HTMLElement, query: URLSearchParams): Promise<void> {
  const kind = query.get("kind") ?? "";
  const subject = query.get("subject") ?? "";
  const cursor = query.get("cursor") ?? "";
  const select = h(
    "select",
    { class: "govuk-select", id: "kind", name: "kind" },
    ...FILTER_KINDS.map(([value, key]) => {
      const option = h("option", { value }, t(key));
      if (value === kind) option.setAttribute("selected", "");
      return option;
    }),
  );
  const filter = h(
    "form",
    { method: "get" },
    h(
      "div",
      { class: "govuk-form-group" },
      h("label", { class: "govuk-label", for: "kind" }, t("board.kind")),
      select,
    ),
    field({ name: "subject", label: t("board.subject"), value: subject, width: "20" }),
    button(t("resources.filter"), { class: "govuk-button--secondary" }),
  ) as HTMLFormElement;
  onSubmit(filter, async () => {
    const chosen = values(filter);
    const next = new URLSearchParams({ service: "resources" });
    if (chosen.kind) next.set("kind", chosen.kind);
    if (chosen.subject?.trim()) next.set("subject", chosen.subject.trim());
    go(`/open?${next.toString()}`);
  });
  add(main, para(t("resources.intro")), filter);
  try {
    const page = await api.resources({ kind, subject, cursor });
    // Grade boundaries have their own tile under Reports; this list is the subject material.
    const listed = kind
      ? page.resources
      : page.resources.filter((item) => item.kind !== "grade_boundaries");
    add(
      main,
      listed.length ? resourceTable(t("resources.caption"), listed) : inset(t("resources.none")),
    );
    if (page.next_cursor) {
      const more = new URLSearchParams(query);
      more.set("cursor", page.next_cursor);
      add(main, para(link(t("resources.more"), `/open?${more.toString()}`)));
    }
  } catch (error) {
    add(main, para(failure(error)));
  }
}
