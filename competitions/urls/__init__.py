"""Front-end URLs: /compete/ for students' teams and submissions, /judging/ for judges."""
