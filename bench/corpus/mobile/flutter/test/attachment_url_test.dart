import 'package:flutter_test/flutter_test.dart';
import 'package:campus_app/src/lms/connector.dart';

/// Attachments: the user's private access key in the path, the web-service token as a
/// fallback query parameter.
void main() {
  const wsToken = '3b673043124a7dcb9fc6b490e2cfdec4';
  const privateAccessKey = '21fe40558c5ed6b7f9fede0b850c698b';

  test('uses the access key path', () {
    final url = Connector.attachmentUrl(
        'https://learn.example.ac.nz/webservice/pluginfile.php/40/mod_folder/content/0/brief.docx',
        token: wsToken, accessKey: privateAccessKey);
    expect(url,
        'https://learn.example.ac.nz/tokenpluginfile.php/21fe40558c5ed6b7f9fede0b850c698b/40/mod_folder/content/0/brief.docx');
  });
}
