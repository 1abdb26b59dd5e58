// Welsh text still awaiting a translator. Every key has a Welsh draft written by the
// development team; these are the ones a professional translator must supply or confirm
// before release because they carry legal or third-party names whose official Welsh wording
// we could not check. The README lists this file.
import type { Key } from "./en";

export const AWAITING_TRANSLATION: readonly Key[] = [
  "permission.access_arrangements.hint",
  "permission.view_scripts.hint",
  "permission.iamis.hint",
  "portal.name",
  "help.firewall",
  "services.scripts_reminder",
];
