import { NotFoundError } from "~/models/question-bank.server";

/** Pages: a missing record becomes a 404 rendered by the error boundary. */
export async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NotFoundError) throw new Response(null, { status: 404 });
    throw e;
  }
}

export const int = (s: string | null, fallback: number) => {
  const n = Number.parseInt(s ?? "", 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 1_000_000) : fallback;
};
