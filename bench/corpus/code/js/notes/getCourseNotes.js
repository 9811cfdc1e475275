const FUNCTION = 'core_notes_get_course_notes';
const TOKEN = process.env.MOODLE_TOKEN;
const BASE_URL = process.env.MOODLE_URL;

const getCourseNotes = async (courseid) => {
  const url = `${BASE_URL}/webservice/rest/server.php?wsfunction=${FUNCTION}&wstoken=${TOKEN}&moodlewsrestformat=json&courseid=${courseid}`;
  const response = await fetch(url, { method: 'POST' });
  return (await response.json()).coursenotes;
};

module.exports = getCourseNotes;
