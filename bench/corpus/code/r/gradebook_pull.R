library(httr)

# Pull grades from Moodle for the weekly report
base <- "https://moodle.college.example/webservice/rest/server.php"
token <- Sys.getenv("MOODLE_TOKEN", unset = "0b7924838faaf2b7371e2fa228ae84b0")
r <- GET(base, query = list(wstoken = token, wsfunction = "gradereport_user_get_grade_items",
                            moodlewsrestformat = "json", courseid = 17))
