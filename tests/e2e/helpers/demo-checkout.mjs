// The demo checkout's contact and address fields, filled as a shopper would (the same test shopper everywhere).
export async function fillCheckout(page) {
  await page.fill('#email', 'ada@example.com');
  await page.fill('#given-name', 'Ada');
  await page.fill('#family-name', 'Lovelace');
  await page.fill('#address-line1', '12 St James Square');
  await page.fill('#city', 'London');
  await page.fill('#postcode', 'SW1Y 4JH');
}
