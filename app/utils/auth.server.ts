// remix-auth v4 verifies credentials; putting the user in a session is ours (session.server.ts).
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { classifyIdentifier, loginSchema } from "~/domain/registration";
import { verifyLogin, type PublicUser } from "~/models/user.server";

export class LoginError extends Error {
  constructor(readonly fields: Record<string, string> = {}) {
    super("login failed");
  }
}

export const authenticator = new Authenticator<PublicUser>();

authenticator.use(
  new FormStrategy(async ({ form }) => {
    const parsed = loginSchema.safeParse({ identifier: form.get("identifier"), password: form.get("password") });
    if (!parsed.success) throw new LoginError();
    const user = await verifyLogin(classifyIdentifier(parsed.data.identifier), parsed.data.password);
    if (!user) throw new LoginError();
    return user;
  }),
  "form",
);
