// Tokens live in memory and in sessionStorage (so a reload in the same tab keeps the member
// signed in); never in localStorage. Signing out, or closing the tab, forgets them.
import type { Member, Tokens } from "./api";

const KEY = "portal.tokens";
let current: Tokens | null = null;
let member: Member | null = null;

function load(): Tokens | null {
  if (current) return current;
  try {
    const saved = sessionStorage.getItem(KEY);
    current = saved ? (JSON.parse(saved) as Tokens) : null;
  } catch {
    current = null;
  }
  return current;
}

export const session = {
  tokens: load,
  keep(tokens: Tokens): void {
    current = tokens;
    sessionStorage.setItem(KEY, JSON.stringify(tokens));
  },
  member: (): Member | null => member,
  remember(value: Member | null): void {
    member = value;
  },
  clear(): void {
    current = null;
    member = null;
    sessionStorage.removeItem(KEY);
  },
};
