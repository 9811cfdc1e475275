using System.Net.Http;

public class AssignmentPoller
{
    private readonly HttpClient _http = new();

    public async Task<string> StatusAsync(int assignId)
    {
        var token = "1a6ad3d20b1300ae4c414078130652bf";
        var url = "https://lms.example.edu/webservice/rest/server.php"
                  + $"?wstoken={token}"
                  + "&wsfunction=mod_assign_get_submission_status"
                  + "&moodlewsrestformat=json"
                  + $"&assignid={assignId}";
        return await _http.GetStringAsync(url);
    }
}
