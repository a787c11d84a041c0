"""More everyday word problems set up for the calculator, spelt-out numbers, rounding asked for."""

from __future__ import annotations

import pytest

from hearth.edge_runtime.routing._math import explicit_expression, words_to_digits
from tests.edge_runtime.test_conversions import BOX, value
from tests.edge_runtime.test_tools_support import make_ctx


@pytest.mark.parametrize(("question", "answer"), [
    ("Calculate (18.5 + 6.75) x 4.", 101),
    ("12,500 minus 3,875 - what do I get?", 8625),
    ("My rent went from 1,450 to 1,537. By what percentage did it go up?", 6),
    ("our bill dropped from 184 to 151 this month. what's the percentage decrease, to one "
     "decimal", 17.9),
    ("How many full weeks are there in 200 days?", 28),
    ("A pack of 24 cans costs $15.36. What's the price per can?", 0.64),
    ("a pack of 24 cans of water is 15.36 at the shop, how much is that per can", 0.64),
    ("I'm buying 3 notebooks at $4.25 each and 2 pens at $1.80 each. What's the total?", 16.35),
    ("I got 3 pads at $2.45 each, one pen for $1.30 and 2 folders at $0.85 each. Total?", 10.35),
    ("My last five runs took 31, 28, 35, 30 and 29 minutes. What was my average time?", 30.6),
    ("Round 48,763 to the nearest thousand.", 49000),
    ("round 1235 to the nearest ten", 1240),
    ("How many 250 ml glasses can I fill from a 3.2 litre jug?", 12),
    ("A shelf is 1.5 metres long. How many books 4 cm thick fit side by side on it?", 37),
    ("My grandmother was born in 1941 and my son in 2016. How many years apart?", 75),
    ("The bridge opened in 1887. How many years old will it be in 2029?", 142),
    ("My car uses 6.4 litres of fuel per 100 km. How many litres for a 350 km trip?", 22.4),
    ("I earn $22.50 an hour and work 37.5 hours a week. What's my weekly pay?", 843.75),
    ("I earn $18.40 an hour and worked 37.5 hours this week. What's my pay before tax?", 690),
    ("A phone costs 480 after a 20% discount. What was the original price?", 600),
    ("It's 119 with 19% VAT. What is the price without VAT?", 100),
    ("If I put aside $125 every week, how many weeks will it take to save $2,000?", 16),
    ("My garden is 12.5 m by 8 m. Fencing costs $14 per metre. What does fencing it all "
     "around cost?", 574),
    ("The patch is 12.5 m long and 7 m wide. How many metres of fencing go around it?", 39),
    ("Our room measures 5.4 m by 3.8 m. How many square metres of flooring do we need?", 20.52),
    ("The car used 42 litres of fuel to cover 560 km. How many litres per 100 km is that?", 7.5),
    ("i cycled 27 km and it took me 1 hour 30 minutes. whats my average speed in km/h", 18),
    ("How long, in hours, would it take to walk 13.5 km at 4.5 km/h?", 3),
    ("What is seven hundred and twelve divided by eight?", 89),
    ("what percentage of 80 is 14", 17.5),
    # A review's probes: each of these was set up wrong once.
    ("A 500 g bag costs 2.40. How much per kg?", 4.8),
    ("A 25% discount saved me 30 euros. What was the original price?", 120),
    ("Including 20% VAT I paid 240, a bit less than I expected. What is the price without "
     "VAT?", 200),
    ("Got 2 shirts for 19.99 each and a belt for 15. What did it cost?", 54.98),
    ("How long, in minutes, to cycle 15 km at 20 km/h?", 45),
    ("What is 22 divided by 7, to 3 decimal places?", 3.143),
    ("What's 1/3 to 2 decimal places?", 0.33),
    ("What is one point five times four?", 6),
    ("What is 5 hundred plus 20?", 520),
    ("My garden is 12 x 8 m. How much fencing do I need to go round it?", 40),
    ("What is 12 x 8?", 96),
])
def test_word_problems_are_set_up_right(question: str, answer: float) -> None:
    assert value(question) == pytest.approx(answer, abs=0.005)


@pytest.mark.parametrize("question", [
    "I have 3 kids and 2 dogs.",                       # no question
    "How many books do I own? I have 2 shelves.",      # one number
    "I walked 3 km and then 500 m. How many metres did I walk?",  # asks a unit, not a count
    "What time is it in 2 hours?",
    # A review's probes: chat that merely looks like a sum.
    "The garden is 10 m by 6 m. Can you recommend plants for the border?",
    "We have a 3 by 4 metre living room. What colour should I paint it?",
    "I ran 5 km in 30 minutes yesterday. Any tips to improve my speed?",
    "Is it true the average person has 2 legs and 10 fingers and 10 toes?",
    "In 2019, 2020 and 2021 what was the average UK house price?",
    "My kids are 3, 5 and 9. What's the average age to start school?",
    "What's the difference between 4G and 5G?",
    "The temperature went from 5 to 15 degrees. What percent humidity is best?",
    "I save 20 a week for my 2 kids. How long have I been saving?",
    "The jug holds 2 litres and the glass 250 ml. How many glasses of water should I drink?",
    "My son was born in 2010 and started school in 2015. How old is he now?",
    "I work from 9 to 5. What percentage of the day is that?",
    "How many more days until my birthday, it's in 2 weeks and 3 days?",
    "The speed limit is 30 mph and I live 2 miles away. How long will it take?",
    "I ran 10 km in 50 minutes. What was my average speed in mph?",
    "What is nine ninety-nine times three?",            # a price, or two numbers
])
def test_what_is_no_such_problem_is_left_alone(question: str) -> None:
    assert explicit_expression(question) is None


@pytest.mark.parametrize(("text", "digits"), [
    ("seven hundred and twelve divided by eight", "712 divided by 8"),
    ("twenty-one plus a hundred and five", "21 plus 105"),
    ("three thousand four hundred and five", "3405"),
    ("one million two hundred thousand", "1200000"),
    ("one and two", "1 and 2"),                        # two numbers, not one
    ("two three-bedroom houses", "2 3-bedroom houses"),
    ("each one of the two", "each one of the 2"),      # a pronoun stays
])
def test_spelt_out_numbers_are_read_whole(text: str, digits: str) -> None:
    assert words_to_digits(text) == digits


def test_the_calculator_rounds_to_tens_and_thousands() -> None:
    result = BOX.call("calculator", {"expression": "round(48763, -3)"}, make_ctx())
    assert result.data["result"] == "49000"
    refused = BOX.call("calculator", {"expression": "round(5, -16)"}, make_ctx())
    assert not refused.ok and "-15 to 15" in refused.content
