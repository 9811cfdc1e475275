import Moodle from "moodle-client";

const moodle = Moodle.init({
  wwwroot: "https://cursos.example.org/",
  token: "39e1600c4bc1651f4e7050990e8b60a9",
});

export default moodle;
