// Which parser a text upload (.txt) needs, judged by its content.

const GIFT_SIGNS = [
  /\{\s*[=~]/, // an answer block
  /^\s*::[^\n]*?::/m, // a question title
  /^\s*\$CATEGORY:/im,
];
const AIKEN_ANSWER = /^ANSWER:\s*[A-F]/im;

export function detectTextFormat(text: string): "gift" | "aiken" | "csv" {
  if (GIFT_SIGNS.some((re) => re.test(text))) return "gift";
  if (AIKEN_ANSWER.test(text)) return "aiken";
  return "csv";
}
