// Thin wrapper around the Moodle REST endpoint
const REST_PATH = '/webservice/rest/server.php';
const TOKEN_PARAM = 'wstoken';
const FUNCTION_PARAM = 'wsfunction';
const FORMAT_PARAM = 'moodlewsrestformat';

const defaults = {
  [TOKEN_PARAM]: '6a8b814a7cc5c904b838a96e46e9d819',
  [FORMAT_PARAM]: 'json',
};

export async function callMoodle(base, fn, args = {}) {
  const body = new URLSearchParams({ ...defaults, [FUNCTION_PARAM]: fn, ...args });
  const res = await fetch(base + REST_PATH, { method: 'POST', body });
  return res.json();
}
