const API_URL = 'https://moodle.example.edu/webservice/rest/server.php';

function joinGroup(groupId, userId) {
  const body = new URLSearchParams({
    wstoken: 'ed0d6353b5c2a16d3af590663124759c',
    wsfunction: 'core_group_add_group_members',
    moodlewsrestformat: 'json',
    'members[0][groupid]': groupId,
    'members[0][userid]': userId,
  });
  return fetch(API_URL, { method: 'POST', body });
}
