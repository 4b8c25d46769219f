"""Unit tests of run_notebooks.py's message and kernel helpers (python3 -m unittest, from environment/)."""
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import run_notebooks as rn  # noqa: E402

RED = "\x1b[1m\x1b[31m"
END = "\x1b[0m"


class Spec:
    def __init__(self, argv):
        self.argv = argv
        self.display_name = "Java (cxr-workbook)"


class ErrorTextTest(unittest.TestCase):

    def test_ijava_runtime_exception_is_named_not_its_dashes(self):
        # shape of IJava 1.3.0's error reply: EvalException, empty evalue, a row of dashes first
        cell = {"outputs": [{"output_type": "error", "ename": "EvalException", "evalue": "",
                             "traceback": [RED + "-" * 75 + END,
                                           RED + "java.lang.IllegalStateException: no model.zip in /w" + END,
                                           RED + "\tat .(#12:1)" + END]}]}
        self.assertEqual("java.lang.IllegalStateException: no model.zip in /w", rn.error_text(cell))

    def test_ijava_compile_error_keeps_the_message(self):
        cell = {"outputs": [{"output_type": "error", "ename": "CompilationException", "evalue": "",
                             "traceback": [RED + "-" * 40 + END, "history.last()", RED + "^" * 7 + END,
                                           "cannot find symbol", "  symbol:   variable history"]}]}
        self.assertEqual("CompilationException: history.last() / cannot find symbol / symbol:   variable history",
                         rn.error_text(cell))

    def test_evalue_is_used_when_present(self):
        cell = {"outputs": [{"output_type": "error", "ename": "java.io.IOException", "evalue": "disk full",
                             "traceback": ["-----", "java.io.IOException: disk full"]}]}
        self.assertEqual("java.io.IOException: disk full", rn.error_text(cell))

    def test_rapaio_first_traceback_line(self):
        cell = {"outputs": [{"output_type": "error", "ename": "EvalException", "evalue": "",
                             "traceback": ["java.lang.ArithmeticException: / by zero", "at line 1"]}]}
        self.assertEqual("java.lang.ArithmeticException: / by zero", rn.error_text(cell))


class KernelFactsTest(unittest.TestCase):

    def test_rapaio_with_patch(self):
        facts = rn.kernel_facts(Spec(["/usr/bin/java", "-Xmx8g", "-cp",
                                      "/r/environment/.kernel/patch:/r/environment/.kernel/rapaio-jupyter-kernel-3.0.1.jar",
                                      "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"]))
        self.assertEqual("rapaio-jupyter-kernel", facts["implementation"])
        self.assertEqual("3.0.1", facts["version"])
        self.assertEqual("environment/kernel-fix", facts["patches"])
        self.assertEqual("8g", facts["heap"])

    def test_ijava(self):
        facts = rn.kernel_facts(Spec(["/usr/bin/java", "-Xmx4g", "-jar", "/opt/ijava/ijava-1.3.0.jar", "{connection_file}"]))
        self.assertEqual(("IJava", "1.3.0", "4g"), (facts["implementation"], facts["version"], facts["heap"]))
        self.assertNotIn("patches", facts)


if __name__ == "__main__":
    unittest.main()
