// npm run ranking:verify -- --round <roundId>   (or --contest <contestId> for the whole-contest prizes)
// Recomputes a published round's (or contest's) final ranking and prize allocation from the stored
// attempts, plan and replacements, and compares its SHA-256 with the published snapshot's.
// Exit 0: equal. Exit 1: different (e.g. an attempt voided after publication: republish with a
// reason). Exit 2: bad usage, unknown round, or a round whose result is not published.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { AwardError, contestKey, verifyPublished } from "~/models/award.server";
import { db, disconnectDb } from "~/utils/db.server";

const USAGE = "Usage: npm run ranking:verify -- --round <roundId> | --contest <contestId>";

interface Out {
  log: (s: string) => void;
  error: (s: string) => void;
}

/** Runs the check; returns the exit status (0 equal, 1 different, 2 usage or not published). */
export async function rankingVerify(argv: readonly string[], out: Out = console, now = new Date()): Promise<number> {
  let roundId: string | undefined;
  let contestId: string | undefined;
  try {
    const { values } = parseArgs({ args: [...argv], options: { round: { type: "string" }, contest: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true });
    if (values.help) {
      out.log(USAGE);
      return 2;
    }
    roundId = values.round?.trim() || undefined;
    contestId = values.contest?.trim() || undefined;
  } catch (e) {
    out.error(`✗ ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!roundId === !contestId) {
    out.error(USAGE);
    return 2;
  }
  const round = contestId
    ? await db().contest.findUnique({ where: { id: contestId }, select: { title: true } }).then((c) => (c ? { name: `${c.title} (whole contest)` } : null))
    : await db().round.findUnique({ where: { id: roundId }, select: { name: true } });
  if (!round) {
    out.error(contestId ? `✗ No contest with id ${contestId}.` : `✗ No round with id ${roundId}.`);
    return 2;
  }
  const label = contestId ? `Contest ${contestId}` : `Round ${roundId}`;
  const key = contestId ? contestKey(contestId) : roundId!;
  try {
    const r = await verifyPublished(key, now);
    out.log(`${label}: ${round.name}`);
    out.log(`Published SHA-256:  ${r.published ?? "(none)"}`);
    out.log(`Recomputed SHA-256: ${r.recomputed}`);
    if (r.equal) {
      out.log("✓ Equal: the published ranking and winners follow from the stored data.");
      return 0;
    }
    out.log("✗ Different: the stored data no longer gives the published result (an attempt voided or changed after publication?). Republish with a reason.");
    return 1;
  } catch (e) {
    if (e instanceof AwardError) {
      out.error(e.code === "NOT_PUBLISHED" ? `✗ The result of ${label.toLowerCase()} is not published.` : `✗ ${e.code}`);
      return 2;
    }
    throw e;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  let code = 2;
  try {
    code = await rankingVerify(process.argv.slice(2));
  } catch (e) {
    console.error(`✗ ${e instanceof Error ? e.message : String(e)}`);
  }
  await disconnectDb();
  process.exit(code);
}
