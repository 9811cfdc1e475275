package main

import (
	"fmt"
	"net/http"
)

const (
	moodleRoot = "https://lms.faculdade-sul.example.br"
	apiSecret  = "c4bc1df96eb0df889c3793858e635244"
	buildID    = "2d6fc1a5a07553f7f566b4fb3b60c420f2dbeb14"
)

func main() {
	u := fmt.Sprintf("%s/webservice/rest/server.php?wstoken=%s&wsfunction=%s&moodlewsrestformat=json",
		moodleRoot, apiSecret, "core_grades_get_gradeitems")
	resp, err := http.Get(u)
	if err != nil {
		panic(fmt.Sprintf("gradebridge %s: %v", buildID, err))
	}
	defer resp.Body.Close()
}
