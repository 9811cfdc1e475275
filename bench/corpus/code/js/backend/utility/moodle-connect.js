import Moodle from "moodle-client";

const moodle = Moodle.init({
  wwwroot: "https://cursos.example.org/",
  token: "0bb641136504cbd5e0770c9c1ab1bf2f",
});

export default moodle;
