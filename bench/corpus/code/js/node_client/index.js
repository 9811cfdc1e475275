const moodleClient = require("moodle-client");

moodleClient.init({
    wwwroot: "https://moodle.example.edu/",
    // token: "40f83dba43453c2bb23e424b06ee5cea",
    username: "integration",
    password: process.env.MOODLE_PASSWORD,
}).then(function (client) {
    return client.call({ wsfunction: "core_webservice_get_site_info" });
}).then(function (info) {
    console.log("Hello %s, welcome to %s", info.fullname, info.sitename);
});
