// Flagging rules: each looks at one closed attempt with its evidence and either says nothing or
// raises a flag with a severity and the detail a judge needs. Flags are suspicion for a person to
// review, never an automatic disqualification: a commune office shares one IP, a phone rings.
export type Severity = "low" | "medium" | "high";

export interface AnswerEvidence {
  questionId: string;
  optionId: string;
  savedAt: Date;
  ip: string | null;
}

export interface EventEvidence {
  type: string;
  receivedAt: Date;
}

export interface AttemptEvidence {
  id: string;
  userId: string;
  startedAt: Date;
  closedAt: Date;
  durationMs: number;
  correctCount: number;
  questionCount: number;
  ip: string | null;
  userAgent: string | null;
  deviceId: string | null;
}

/** Another closed attempt of the same round, for the rules that compare attempts. */
export interface PeerEvidence {
  id: string;
  userId: string;
  startedAt: Date;
  durationMs: number;
  ip: string | null;
  userAgent: string | null;
  deviceId: string | null;
  /** questionId → optionId */
  choices: ReadonlyMap<string, string>;
}

export interface IdentityEvidence {
  nationalIdValid: boolean;
  registrationIp: string | null;
  registrationDevice: string | null;
  /** Accounts registered from the same device, or the same IP, within the rule's window of this one. */
  sameDeviceRegistrations: number;
  sameIpRegistrations: number;
}

export interface FlagContext {
  attempt: AttemptEvidence;
  answers: readonly AnswerEvidence[];
  events: readonly EventEvidence[];
  peers: readonly PeerEvidence[];
  identity: IdentityEvidence;
}

export interface RaisedFlag {
  severity: Severity;
  detail: Record<string, unknown>;
  /** Peer attempts that share this suspicion (flagged alike). */
  alsoAttempts?: string[];
}

export type Settings = Record<string, number>;

export interface FlagRule {
  name: string;
  /** Thresholds; a round may override any of them, or switch the rule off. */
  defaults: Settings;
  evaluate(ctx: FlagContext, s: Settings): RaisedFlag | null;
}
