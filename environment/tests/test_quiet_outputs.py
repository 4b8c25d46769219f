"""Unit tests of quiet_outputs.py (python3 -m unittest, from environment/)."""
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import quiet_outputs as q  # noqa: E402


def stream(text, name="stderr"):
    return {"output_type": "stream", "name": name, "text": text}


class SettleTest(unittest.TestCase):

    def test_progress_bar_redraws_become_their_last_state(self):
        cell = {"cell_type": "code", "source": "train()", "outputs": [
            stream("\repoch 1/2 [#...] 1/4"), stream("\repoch 1/2 [##..] 2/4"),
            stream("\repoch 1/2 [####] 4/4  val AUC 0.71\n"), stream("\repoch 2/2 [####] 4/4  val AUC 0.72\n"),
            stream("done\n", "stdout")]}
        q.settle_streams({"cells": [cell]})
        self.assertEqual([stream("epoch 1/2 [####] 4/4  val AUC 0.71\nepoch 2/2 [####] 4/4  val AUC 0.72\n"),
                          stream("done\n", "stdout")], cell["outputs"])
        self.assertEqual([], q.problems({"cells": [cell]}))

    def test_windows_line_end_keeps_the_line(self):
        self.assertEqual("a\nb\n", q.settle_text("a\r\nb\n"))


class ProblemsTest(unittest.TestCase):

    def test_each_kind_of_noise_is_named(self):
        setup = {"cell_type": "code", "source": "%jars x.jar\n%load ../environment/setup.jshell",
                 "outputs": [stream("Add a.jar to classpath\nAdd b.jar to classpath\n", "stdout")]}
        noisy = {"cell_type": "code", "source": "x", "outputs": [
            stream("[main] INFO org.nd4j.linalg.factory.Nd4jBackend - Loaded [CpuBackend] backend\n"),
            {"output_type": "execute_result", "data": {"text/html": "mean 0.4956203222060383"}}]}
        found = q.problems({"cells": [setup, noisy]}, "nb")
        self.assertEqual(4, len(found), found)
        self.assertIn("nb cell 1 (setup) prints 2 lines", found[0])
        self.assertIn("framework log line", found[1])
        self.assertIn("16-decimal number 0.4956203222060383", found[2])
        self.assertIn("plain text sent as text/html", found[3])

    def test_quiet_notebook_passes(self):
        setup = {"cell_type": "code", "source": "%load ../environment/setup.jshell",
                 "outputs": [stream("Add cxr-workbook-notebook.jar to classpath\n", "stdout")]}
        table = {"cell_type": "code", "source": "t", "outputs": [
            {"output_type": "execute_result", "data": {"text/plain": "AUC 0.731 (0.695-0.773), 1.5e-7, 12345678"}},
            {"output_type": "display_data", "data": {"text/html": "<table><tr><td>0.5</td></tr></table>"}}]}
        self.assertEqual([], q.problems({"cells": [setup, table]}))


if __name__ == "__main__":
    unittest.main()
