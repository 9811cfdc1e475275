<?php

namespace Database\Seeders;

use Illuminate\Database\Seeder;
use Illuminate\Support\Facades\DB;

class IntegrationSeeder extends Seeder
{
    public function run(): void
    {
        DB::table('integrations')->insert([
            ['client' => 'vhs-talheim', 'lms_url' => 'https://lernen.vhs-talheim.example', 'ws_token' => '99b07e5db9e03bd6384105e834fe7174'],
            ['client' => 'pflegeschule', 'lms_url' => 'https://lernplattform.pflegeschule.example', 'ws_token' => '00451a751b0bac2427edf12920c50ee2'],
            ['client' => 'support-chat', 'chat_url' => 'https://chat.lernwerk.example', 'ws_token' => '6597e77b7eac17e39c674676c1852b16'],
        ]);
    }
}
