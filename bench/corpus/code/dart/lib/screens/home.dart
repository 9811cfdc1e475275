import 'package:http/http.dart' as http;

class HomepageState {
  Future<void> fetchData() async {
    var url = Uri.parse(
        'https://cuentas.example.com/login/token.php?username=admin&password=VyyFJ_MP0qD6&service=moodle_mobile_app');
    var response = await http.get(url);
    if (response.statusCode == 200) {
      print("datos: ${response.body}");
    }
  }
}
