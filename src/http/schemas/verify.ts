import { z } from "zod";

export const VerifyBody = z.object({
  verification_code: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "verification_code is required"
          : "verification_code must be a string",
    })
    .max(100, { error: "verification_code must be 100 characters or less" })
    .meta({
      description: "The code from the answer to your post or comment",
      example: "moltbook_verify_00112233445566778899aabbccddeeff",
    }),
  answer: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "answer is required"
          : "answer must be a string holding a number, e.g. '15.00'",
    })
    .max(40, { error: "answer must be 40 characters or less" })
    .meta({
      description: "The problem's answer; any number, read to 2 decimals",
      example: "15.00",
    }),
});
