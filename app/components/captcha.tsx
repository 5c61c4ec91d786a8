// The captcha of the public forms. With JavaScript: the self-hosted ALTCHA widget solves a
// proof-of-work challenge from /api/v1/captcha in the background, and the form's submission waits
// for it (and for the form's minimum time on screen) instead of failing. Without JavaScript, or
// when the widget cannot run (an old browser, a page served over plain HTTP), a small sum in
// Vietnamese words, signed by the server, takes its place.
import type {} from "altcha"; // the <altcha-widget> element's types
import { useEffect, useRef, useState } from "react";
import { vi } from "~/i18n/vi";

export const CAPTCHA_FIELD = "captcha";
export const FALLBACK_TOKEN_FIELD = "captchaToken";
export const FALLBACK_ANSWER_FIELD = "captchaAnswer";
export const CAPTCHA_CHALLENGE_URL = "/api/v1/captcha";

export type CaptchaProps = {
  /** The no-JavaScript question and its signed token (new with every rendering of the form). */
  fallback: { question: string; token: string };
  /** Seconds the form must stay on screen before it may be sent (the honeypot's time check). */
  minSeconds: number;
  /** The server's message about the fallback answer, if it was wrong. */
  fallbackError?: string;
};

type AltchaGlobal = { i18n: { set: (lang: string, strings: Record<string, string>) => void } };

function FallbackQuestion({ fallback, error }: { fallback: CaptchaProps["fallback"]; error?: string }) {
  return (
    <div>
      <label htmlFor={FALLBACK_ANSWER_FIELD} className="field-label">
        {vi.abuse.fallbackLabel}: {fallback.question}
      </label>
      <input
        id={FALLBACK_ANSWER_FIELD}
        name={FALLBACK_ANSWER_FIELD}
        className="field-input"
        inputMode="numeric"
        autoComplete="off"
        maxLength={3}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${FALLBACK_ANSWER_FIELD}-hint${error ? ` ${FALLBACK_ANSWER_FIELD}-error` : ""}`}
      />
      <p id={`${FALLBACK_ANSWER_FIELD}-hint`} className="mt-1 text-xs text-slate-600">
        {vi.abuse.fallbackHint}
      </p>
      {error ? (
        <p id={`${FALLBACK_ANSWER_FIELD}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      <input type="hidden" name={FALLBACK_TOKEN_FIELD} value={fallback.token} />
    </div>
  );
}

/**
 * Goes inside a <Form noValidate>: while the widget works its checkbox is `required`, and the
 * browser's own validation would swallow a click instead of letting the form wait for it.
 */
export function Captcha({ fallback, minSeconds, fallbackError }: CaptchaProps) {
  const box = useRef<HTMLDivElement>(null);
  const [widgetFailed, setWidgetFailed] = useState(false);
  const [pending, setPending] = useState(false);

  // One run per rendering of the form (a new fallback token means the server answered and the
  // previous solution, if any, is spent): a fresh widget and a fresh minimum-time clock.
  useEffect(() => {
    const container = box.current;
    const form = container?.closest("form");
    if (!container || !form) return;
    const shownAt = Date.now();
    let widget: HTMLElementTagNameMap["altcha-widget"] | null = null;
    // "spent": the solution went to the server with a submission; the next one needs a new solution.
    let state: "loading" | "verifying" | "verified" | "spent" | "failed" = "loading";
    let held: { submitter: HTMLElement | null } | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const ready = () => (state === "verified" || state === "failed") && Date.now() - shownAt >= minSeconds * 1000;
    const release = () => {
      clearTimeout(timer);
      if (!held || stopped) return;
      if (state !== "verified" && state !== "failed") return; // the statechange handler calls again
      const wait = shownAt + minSeconds * 1000 - Date.now();
      if (wait > 0) {
        timer = setTimeout(release, wait + 20);
        return;
      }
      const { submitter } = held;
      held = null;
      setPending(false);
      form.requestSubmit(submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement ? submitter : undefined);
    };
    // Capture phase on the form: runs before Remix's handler (delegated to the root) and stops it.
    const onSubmit = (ev: SubmitEvent) => {
      if (ready()) {
        if (state === "verified") state = "spent";
        return;
      }
      ev.preventDefault();
      ev.stopPropagation();
      held = { submitter: ev.submitter };
      setPending(true);
      if (widget && (state === "loading" || state === "spent")) {
        state = "loading";
        void widget.verify();
      }
      release();
    };
    form.addEventListener("submit", onSubmit, true);

    // The widget cannot run here: the question takes its place (the widget goes, error popover and all).
    const fail = () => {
      state = "failed";
      widget?.remove();
      widget = null;
      setWidgetFailed(true);
      release();
    };
    import("altcha")
      .then(() => {
        if (stopped) return;
        const altcha = (globalThis as unknown as { $altcha?: AltchaGlobal }).$altcha;
        altcha?.i18n.set("vi", { ...vi.abuse.widget });
        widget = document.createElement("altcha-widget");
        widget.setAttribute("challenge", CAPTCHA_CHALLENGE_URL);
        widget.setAttribute("name", CAPTCHA_FIELD);
        widget.setAttribute("auto", "onload");
        widget.setAttribute("language", "vi");
        widget.setAttribute("type", "checkbox");
        widget.setAttribute("configuration", JSON.stringify({ hideFooter: true, hideLogo: true }));
        widget.addEventListener("statechange", (ev) => {
          const s = (ev as CustomEvent<{ state: string }>).detail?.state;
          if (s === "verified") state = "verified";
          else if (s === "verifying") state = "verifying";
          else if (s === "error") return fail();
          else if (s === "expired" || s === "unverified") {
            state = "loading";
            // An expired solution (a form left open) is renewed at once rather than at submission.
            if (s === "expired") void widget?.verify();
          }
          release();
        });
        container.replaceChildren(widget);
      })
      .catch(fail);

    return () => {
      stopped = true;
      clearTimeout(timer);
      form.removeEventListener("submit", onSubmit, true);
      widget?.remove();
      setPending(false);
      setWidgetFailed(false);
    };
  }, [fallback.token, minSeconds]);

  return (
    <fieldset className="space-y-2" data-testid="captcha">
      <legend className="field-label">{vi.abuse.captchaLegend}</legend>
      <div ref={box} />
      {widgetFailed ? <FallbackQuestion fallback={fallback} error={fallbackError} /> : null}
      <noscript>
        <FallbackQuestion fallback={fallback} error={fallbackError} />
      </noscript>
      <p aria-live="polite" className="text-sm text-slate-700">
        {pending ? vi.abuse.captchaPending : ""}
      </p>
    </fieldset>
  );
}
