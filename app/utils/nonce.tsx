// The per-response Content-Security-Policy nonce, from the server (server.mjs) to the scripts Remix
// renders. On the client it is empty: browsers hide nonce attributes from scripts anyway.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
