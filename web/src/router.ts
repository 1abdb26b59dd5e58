// History routing over a fixed set of screens. Screen paths never collide with API paths, so
// the server can send index.html for any of them.
import type { Member } from "./api";

export interface Screen {
  /** Who may see it: anyone, signed-in members, centre managers, or board staff. */
  access: "public" | "member" | "manager" | "board";
  render: (main: HTMLElement, query: URLSearchParams) => void | Promise<void>;
}

const screens = new Map<string, Screen>();
let onChange: () => void = () => undefined;

export function register(path: string, screen: Screen): void {
  screens.set(path, screen);
}

export function screenFor(path: string): Screen | undefined {
  return screens.get(path);
}

export function listen(render: () => void): void {
  onChange = render;
  window.addEventListener("popstate", () => onChange());
  document.addEventListener("click", (event) => {
    const anchor = (event.target as Element | null)?.closest?.("a");
    if (!anchor || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || !screens.has(url.pathname)) return;
    event.preventDefault();
    go(url.pathname + url.search);
  });
}

export function go(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  onChange();
}

export const isManager = (member: Member | null): boolean =>
  member?.account_type === "exams_officer" || member?.account_type === "admin";

export const home = (member: Member | null): string =>
  member?.account_type === "board_staff" ? "/board" : member ? "/services" : "/sign-in";
