import { Component } from '@angular/core';

@Component({ selector: 'page-book', templateUrl: 'book.html' })
export class BookPage {
  ionViewDidLoad() {
    this.download('https://moodle.example.edu/webservice/pluginfile.php/183/mod_book/chapter/5/index.html?token=d6e5a129c51b33e6d9027f9e568089b7');
  }

  download(url: string) { /* ... */ }
}
