import { Component } from '@angular/core';

@Component({ selector: 'page-book', templateUrl: 'book.html' })
export class BookPage {
  ionViewDidLoad() {
    this.download('https://moodle.example.edu/webservice/pluginfile.php/183/mod_book/chapter/5/index.html?token=5a060faaf3d0f6df4a0b9d6f0a95ce01');
  }

  download(url: string) { /* ... */ }
}
