import { MailTemplates } from './mail-templates';

describe('mail templates', () => {
  const templates = new MailTemplates();
  const session = (students: number) => ({
    name: 'Carla',
    trainerName: 'Ana',
    schoolName: 'Centro Escolar Las Flores',
    date: '2026-03-02',
    courseTitle: 'Tiny course',
    students,
    link: 'http://cascada.test/cascade-sessions/1',
  });

  it('counts the students of a session in the singular and the plural, in both languages', () => {
    expect(templates.render('session-to-confirm', 'en', session(1)).text).toContain('(1 student)');
    expect(templates.render('session-to-confirm', 'en', session(1200)).text).toContain('(1,200 students)');
    expect(templates.render('session-to-confirm', 'es', session(1)).text).toContain('(1 estudiante)');
    expect(templates.render('session-confirmed', 'es', session(2)).html).toContain(
      '(Tiny course, 2 estudiantes)',
    );
  });
});
