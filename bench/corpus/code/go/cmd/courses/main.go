package main

import (
	"fmt"
	"log"

	"github.com/example/moodle"
)

func main() {
	l := log.Default()
	api := moodle.NewMoodleApi("https://moodle.example.com/moodle/", "313f9d8111017215032db2e7aefc4bd5", l)
	courses, _ := api.GetCourses("History")
	for _, c := range *courses {
		fmt.Println(c.Code)
	}
}
