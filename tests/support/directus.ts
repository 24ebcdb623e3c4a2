// Direct calls to the local Directus, to check what the app did there.

export async function directusStatusFor(directusUrl: string, token: string): Promise<number> {
  const response = await fetch(`${directusUrl}/users/me`, { headers: { Authorization: `Bearer ${token}` } });
  return response.status;
}
