using System.Net.Http;

public class AssignmentPoller
{
    private readonly HttpClient _http = new();

    public async Task<string> StatusAsync(int assignId)
    {
        var token = "e0b75f035d4c29ea06810d16b9453c3a";
        var url = "https://lms.example.edu/webservice/rest/server.php"
                  + $"?wstoken={token}"
                  + "&wsfunction=mod_assign_get_submission_status"
                  + "&moodlewsrestformat=json"
                  + $"&assignid={assignId}";
        return await _http.GetStringAsync(url);
    }
}
