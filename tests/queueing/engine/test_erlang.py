import math

import pytest

from queueing.engine import erlang_c, servers_needed, service_level


def test_it_matches_the_textbook_three_server_example():
    # λ = 1.2/min, mean service 2 min, 3 servers (A = 2.4 Erlangs).
    p_wait, wq = erlang_c(1.2, 2.0, 3)
    assert p_wait == pytest.approx(0.647, abs=0.001)
    assert wq == pytest.approx(2.16, abs=0.01)


def test_it_matches_the_call_centre_helper_worked_example():
    # Call Centre Helper, "Erlang C Formula – Made Simple": 100 calls per 30 minutes, AHT 180 s,
    # 11 agents → P(wait) 68.21 %, 39 % answered within 20 s; 14 agents are needed for 80/20.
    rate, aht = 100 / 30, 3.0
    p_wait, _ = erlang_c(rate, aht, 11)
    assert p_wait == pytest.approx(0.6821, abs=0.0001)
    assert service_level(rate, aht, 11, 20 / 60) == pytest.approx(0.39, abs=0.005)
    assert servers_needed(rate, aht, 0.8, 20 / 60) == 14


def test_an_overloaded_branch_waits_forever():
    assert erlang_c(2.0, 2.0, 4) == (1.0, math.inf)
    assert service_level(2.0, 2.0, 4, 15) == 0.0


def test_no_arrivals_means_no_waiting():
    assert erlang_c(0.0, 5.0, 2) == (0.0, 0.0)


def test_large_branches_do_not_overflow():
    p_wait, wq = erlang_c(300 / 60, 12.0, 70)
    assert 0 < p_wait < 1 and wq >= 0
