package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PricesTest {
  @Test
  void adds_the_tax() {
    assertEquals(1200, Prices.withTax(1000));
  }
}
