// Listado de cursos para la intranet del departamento
const base = 'https://campusvirtual.example.es';
const clave = '52645758e56b6b8e10bb4a9b369279d2'; // token del servicio web de Moodle (usuario intranet)

export async function cursos() {
  const url = new URL('/webservice/rest/server.php', base);
  url.search = new URLSearchParams({
    wstoken: clave,
    wsfunction: 'core_course_get_courses',
    moodlewsrestformat: 'json',
  });
  const res = await fetch(url);
  return res.json();
}
