import type { CSSProperties } from "react";
import { vi } from "~/i18n/vi";

export const HONEYPOT_FIELD = "website";
export const FORM_TIME_FIELD = "formStartedAt";

// Off screen rather than display:none, which some robots know to skip.
const OFF_SCREEN: CSSProperties = { position: "absolute", left: "-10000px", top: "auto", width: 1, height: 1, overflow: "hidden" };

/**
 * A text field people never see nor reach (off screen, aria-hidden, out of the tab order, no
 * autofill) that form-filling robots do fill, and the signed time the form was rendered.
 */
export function Honeypot({ formStartedAt }: { formStartedAt: string }) {
  return (
    <>
      <div aria-hidden="true" style={OFF_SCREEN}>
        <label htmlFor="hp-website">{vi.abuse.honeypotLabel}</label>
        <input id="hp-website" type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
      </div>
      <input type="hidden" name={FORM_TIME_FIELD} value={formStartedAt} />
    </>
  );
}
