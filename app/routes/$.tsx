// Any path no other route claims: a 404 rendered by the root error boundary.
export const loader = () => {
  throw new Response(null, { status: 404 });
};
export const action = loader;

export default function NotFound() {
  return null;
}
