<?php
// The temporary address of a day, made from the shared secret: PHP 7.1 or later, nothing else.
//
//   TEMPMAIL_SECRET=... php mint.php [YYYY-MM-DD ...]     default: today in TIMEZONE
//
// On a web page of your own: require 'mint.php'; then
//   echo tempmail_address($secret, tempmail_day('Europe/Berlin'), 'temp.example.org', 8, 'hmac-sha256');
// From the command line the settings come from TEMPMAIL_DOMAIN, TEMPMAIL_LENGTH, TEMPMAIL_SCHEME and
// TEMPMAIL_TIMEZONE. PHP ignores the machine's zone (it uses php.ini's, else UTC), so TIMEZONE is required.

/** The address of a day given as YYYY-MM-DD. */
function tempmail_address(string $secret, string $day, string $domain, int $length, string $scheme): string
{
    $lengths = ['hmac-sha256' => [8, 64], 'md5' => [1, 32]];
    if (!isset($lengths[$scheme]) || $length < $lengths[$scheme][0] || $length > $lengths[$scheme][1]) {
        throw new InvalidArgumentException("scheme $scheme with length $length: "
            . 'expected hmac-sha256 (8..64) or md5 (1..32)');
    }
    $parsed = DateTimeImmutable::createFromFormat('!Y-m-d', $day);
    if ($parsed === false || $parsed->format('Y-m-d') !== $day) {
        throw new InvalidArgumentException("\"$day\" is not a date like 2026-11-22");
    }
    $date = $parsed->format('Ymd');
    $hex = $scheme === 'md5' ? md5($date . $secret) : hash_hmac('sha256', $date, $secret);
    return substr($hex, 0, $length) . '@' . $domain;
}

/** Today as YYYY-MM-DD in the given zone, or a day before it. */
function tempmail_day(string $timezone, int $daysBack = 0): string
{
    // From noon, which every day has, so that no clock change moves the result by a day.
    $noon = (new DateTimeImmutable('now', new DateTimeZone($timezone)))->setTime(12, 0);
    return $noon->modify("-$daysBack days")->format('Y-m-d');
}

if (PHP_SAPI === 'cli' && realpath($_SERVER['SCRIPT_FILENAME']) === __FILE__) {
    $secret = getenv('TEMPMAIL_SECRET');
    $timezone = getenv('TEMPMAIL_TIMEZONE');
    if ($secret === false || $secret === '' || $timezone === false || $timezone === '') {
        fwrite(STDERR, "mint.php: set TEMPMAIL_SECRET and TEMPMAIL_TIMEZONE (e.g. Europe/Berlin)\n");
        exit(2);
    }
    $domain = getenv('TEMPMAIL_DOMAIN') ?: 'temp.example.org';
    $length = (int) (getenv('TEMPMAIL_LENGTH') ?: 8);
    $scheme = getenv('TEMPMAIL_SCHEME') ?: 'hmac-sha256';
    try {
        foreach (array_slice($argv, 1) ?: [tempmail_day($timezone)] as $day) {
            echo tempmail_address($secret, $day, $domain, $length, $scheme), "\n";
        }
    } catch (Exception $problem) { // a bad date, length, scheme or zone
        fwrite(STDERR, 'mint.php: ' . $problem->getMessage() . "\n");
        exit(2);
    }
}
