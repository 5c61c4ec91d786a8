// Unknown API paths answer in the API's own error shape, not with an HTML page.
import { apiError } from "~/utils/api.server";

export const loader = () => apiError(404, "NOT_FOUND");
export const action = loader;
