const API_URL = 'https://moodle.example.edu/webservice/rest/server.php';

function joinGroup(groupId, userId) {
  const body = new URLSearchParams({
    wstoken: 'f072a2454a35c84ba1295ad81716cc43',
    wsfunction: 'core_group_add_group_members',
    moodlewsrestformat: 'json',
    'members[0][groupid]': groupId,
    'members[0][userid]': userId,
  });
  return fetch(API_URL, { method: 'POST', body });
}
